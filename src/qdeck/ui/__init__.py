"""The web UI: NiceGUI pages mounted on the qdeck FastAPI app (see ``mount.mount_ui``)."""
