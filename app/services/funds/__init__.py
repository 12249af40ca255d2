"""经费保障 (柳州): the park's standards, each party organization's entitlements of a year
(每名党员"3个100元", 阵地建设启动经费, 以奖代补, 党费返还), the payments recorded against
them and the balance."""
