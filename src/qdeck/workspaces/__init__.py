"""Teams: workspaces, memberships with roles, projects, and who may do what."""
