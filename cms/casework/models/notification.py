from django.db import models


class Notification(models.Model):
    """An email to an applicant, written in the same transaction as the change it reports (an outbox).

    The worker sends it afterwards and retries while the mail server is unreachable; the state change
    never waits for, or depends on, the mail server."""

    to = models.EmailField("收件人")
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("正文")
    case_label = models.CharField("办件", max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    last_error = models.CharField("最后错误", max_length=500, blank=True)
    # Extra header lines of this email (e.g. List-Unsubscribe of a subscription alert).
    headers = models.JSONField("附加邮件头", default=dict, blank=True)

    class Meta:
        verbose_name = "邮件通知"
        verbose_name_plural = "邮件通知"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="casework_notice_due")]

    def __str__(self):
        return f"{self.case_label} → {self.to}: {self.subject}"
