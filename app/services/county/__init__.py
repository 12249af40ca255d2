"""The county view: a county database adds up its parks' quarterly submissions
(county_db: making one and knowing one; county_import: reading submissions in,
replacing a quarter with a diff first; county_figures: every figure per park and the
total from the units; county_lists: the parks, the units, the duplicates;
county_export: the 汇总表 workbook)."""
