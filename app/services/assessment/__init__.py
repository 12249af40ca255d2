"""Half-year and yearly assessments: schemes, scores, the score workbook, rankings, stars,
publication."""
