"""VK (ВКонтакте): the client, the Callback/Long Poll parsing and the sandbox stand-in."""
