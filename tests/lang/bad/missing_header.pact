party a
source doc official "doc.txt"
