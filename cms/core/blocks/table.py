from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock


class DataTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label="表格标题", required=False, max_length=200)
    table = TableBlock(
        label="表格",
        table_options={"startRows": 3, "startCols": 3, "colHeaders": False, "rowHeaders": False},
    )

    def get_api_representation(self, value, context=None):
        data = value["table"] or {}
        rows = data.get("data") or []
        first_row_header = bool(data.get("first_row_is_table_header"))
        return {
            "caption": value["caption"],
            "header": rows[0] if first_row_header and rows else [],
            "rows": rows[1:] if first_row_header else rows,
        }

    class Meta:
        icon = "table"
        label = "表格"
        template = "blocks/table.html"
