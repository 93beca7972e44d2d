# Each party and body is a bit of an event's recorders: 64 at most, together.
agreement "t" { version "1" effective 2025-01-01 }
party p0
party p1
party p2
party p3
party p4
party p5
party p6
party p7
party p8
party p9
party p10
party p11
party p12
party p13
party p14
party p15
party p16
party p17
party p18
party p19
party p20
party p21
party p22
party p23
party p24
party p25
party p26
party p27
party p28
party p29
party p30
party p31
party p32
party p33
party p34
party p35
party p36
party p37
party p38
party p39
party p40
party p41
party p42
party p43
party p44
party p45
party p46
party p47
party p48
party p49
party p50
party p51
party p52
party p53
party p54
party p55
party p56
party p57
party p58
party p59
body b0 { members m quorum 1 }
body b1 { members m quorum 1 }
body b2 { members m quorum 1 }
body b3 { members m quorum 1 }
body b4 { members m quorum 1 }
