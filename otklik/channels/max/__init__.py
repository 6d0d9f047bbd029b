"""MAX (the national messenger): a channel's posts and their comments through the Bot API."""
