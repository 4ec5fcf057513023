from django.db import models


class IndexUpdate(models.Model):
    """A pending Elasticsearch update for one search key, written in the same transaction as the
    change that caused it, so an update can be late but never lost. The worker deletes the row
    marks the row done once Elasticsearch has it; a failure leaves it pending for the next attempt.
    Done rows are kept a day so a rebuild can replay what changed while it ran."""

    key = models.CharField(max_length=40, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "索引更新"
        verbose_name_plural = "索引更新队列"
        ordering = ["pk"]

    def __str__(self):
        return self.key
