"""The workspace activity feed."""
