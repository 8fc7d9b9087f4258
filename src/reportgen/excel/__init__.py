"""The Excel round trip: a fill-in workbook made from the schema, and importing workbooks and ledgers."""
