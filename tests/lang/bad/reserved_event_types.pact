# The record's own event types are not the agreement's to declare.
agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
event store_created { }
event store_upgraded { }
event settings_changed { }
event key_registered { }
event key_revoked { }
event ok { }
