# The record adds nonce and recorded_by to events, and keeps signatures there: no field may take them.
agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
event e { signatures: string, nonce: string, recorded_by: string, ok: bool }
