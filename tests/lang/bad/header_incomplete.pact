agreement "t" { title "no version, no date" }
source doc official "doc.txt"
