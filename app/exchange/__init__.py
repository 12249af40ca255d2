"""Excel exchange with upper levels: read any registry workbook, write the submission."""
