from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What a Chinese government site must show in its header and footer."""

    site_name = models.CharField("网站名称", max_length=100, default="济源市人民政府")
    organiser = models.CharField("主办单位", max_length=100, default="济源市人民政府办公室")
    footer_text = models.TextField("页脚说明", blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    contact_address = models.CharField("联系地址", max_length=200, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    postcode = models.CharField("邮编", max_length=10, blank=True)
    icp_number = models.CharField("ICP备案号", max_length=50, blank=True)
    police_record = models.CharField("公安机关备案号", max_length=50, blank=True)
    site_code = models.CharField(
        "政府网站标识码", max_length=10, blank=True, help_text="国务院办公厅分配的10位标识码"
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("organiser"), FieldPanel("footer_text")],
            heading="网站",
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
                FieldPanel("contact_email"),
                FieldPanel("postcode"),
            ],
            heading="联系方式",
        ),
        MultiFieldPanel(
            [FieldPanel("icp_number"), FieldPanel("police_record"), FieldPanel("site_code")],
            heading="备案与标识",
        ),
    ]

    class Meta:
        verbose_name = "网站设置"


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting, ClusterableModel):
    """Editable main navigation; each item points to a page or a fixed address."""

    panels = [InlinePanel("items", label="导航栏目")]

    class Meta:
        verbose_name = "导航设置"

    @property
    def menu_items(self):
        return self.items.select_related("page")


class NavigationItem(Orderable):
    setting = ParentalKey(NavigationSettings, related_name="items", on_delete=models.CASCADE)
    title = models.CharField("名称", max_length=30)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="页面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.CharField("链接地址", max_length=200, blank=True, help_text="未选择页面时使用")

    panels = [FieldPanel("title"), PageChooserPanel("page"), FieldPanel("url")]

    def __str__(self):
        return self.title

    @property
    def href(self):
        if self.page_id and self.page.live:
            return self.page.url
        return self.url or "#"
