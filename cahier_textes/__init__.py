"""The homework book (cahier de textes): lesson entries, homework, workload, visa."""
