from django.db import models


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

    def save(self, *args, **kwargs):
        from cms.casework.workdays import forget

        super().save(*args, **kwargs)
        forget()

    def delete(self, *args, **kwargs):
        from cms.casework.workdays import forget

        result = super().delete(*args, **kwargs)
        forget()
        return result
