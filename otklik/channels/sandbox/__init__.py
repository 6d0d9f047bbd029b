"""`otklik sandbox`: a local stand-in of the four networks' APIs, with a web view of the pages."""
