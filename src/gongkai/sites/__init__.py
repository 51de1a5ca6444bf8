"""The site cluster (政府网站集约化), its columns (栏目), the 政务新媒体 register and visit counts."""
