# Parties with and without titles; one source of each confidence, with and without a title.
agreement "parties" { version "1" effective 2025-01-01 }
party alpha
party beta "Beta Corp."
party gamma "Gamma Holdings"
source s_official official "contract.txt"
source s_press press "https://example.com/news" "A press report"
source s_seed seed "notes.md"
