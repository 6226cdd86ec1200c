// A shared document's editor: the vendored Yjs + CodeMirror bundle (ui/static/collab,
// global QdeckCollab) syncing with /api/v1/documents/<id>/sync. Who is here, the
// connection's state and the text (for the preview) go back to the server as events.
export default {
  template: `<div class="qd-doc-editor"></div>`,
  props: { documentId: String, readOnly: Boolean, userName: String, userColor: String, ticket: String },
  mounted() {
    const start = () => {
      if (!window.QdeckCollab) { setTimeout(start, 50); return; }
      this.editor = window.QdeckCollab.mount(this.$el, {
        serverUrl: "/api/v1/documents",
        room: `${this.documentId}/sync`,
        readOnly: this.readOnly,
        params: { ticket: this.ticket },
        user: { name: this.userName, color: this.userColor },
        onPeers: (peers) => this.$emit("peers", peers),
        onStatus: (status) => {
          this.$el.dataset.status = status;
          this.$emit("status", status);
        },
        onText: (text) => this.$emit("text", text),
      });
    };
    start();
  },
  unmounted() {
    if (this.editor) this.editor.destroy();
  },
};
