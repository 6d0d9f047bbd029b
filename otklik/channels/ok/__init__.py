"""Odnoklassniki (OK.ru): the REST API client, its sandbox stand-in and their tests."""
