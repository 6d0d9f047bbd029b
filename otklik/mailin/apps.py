from django.apps import AppConfig


class MailinConfig(AppConfig):
    name = "otklik.mailin"
    label = "mailin"
    verbose_name = "Входящая почта"

    def ready(self) -> None:
        from otklik.mailin.tokens import reply_headers
        from otklik.notifications.services import HEADER_HOOKS

        # The outgoing letters of the workflow carry the reply token (dispatch, return, …).
        HEADER_HOOKS.append(reply_headers)
