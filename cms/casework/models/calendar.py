from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver


class CalendarOverride(models.Model):
    """An administrator's correction to the working-day calendar (a holiday or a make-up working day)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选：当天上班（如调休）；不勾选：当天放假")
    note = models.CharField("说明", max_length=100, blank=True, help_text="例如：2027年春节调休")

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'}"


# Signals rather than save()/delete(): a bulk delete in an admin list sends post_delete too.
@receiver(pre_save, sender=CalendarOverride)
def _remember_old_date(sender, instance, **kwargs):
    old = (
        sender.objects.filter(pk=instance.pk).values_list("date", flat=True).first() if instance.pk else None
    )
    instance._old_date = old if old != instance.date else None


@receiver(post_save, sender=CalendarOverride)
@receiver(post_delete, sender=CalendarOverride)
def _calendar_changed(sender, instance, **kwargs):
    """Seen at once by this process, and by the deadlines of open cases once committed."""
    from cms.casework import clock, workdays

    workdays.forget()
    days = {instance.date, getattr(instance, "_old_date", None)} - {None}

    def after_commit():
        workdays.forget()  # another thread may have read the table before the commit
        for day in days:
            clock.reschedule(day)

    transaction.on_commit(after_commit, robust=True)
