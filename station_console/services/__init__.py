"""Services: the only way the UI and CLI change data. Each checks permissions itself."""
