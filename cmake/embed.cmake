# embed.cmake: writes a C file holding the bytes of a data file.
# Usage: cmake -DIN=file -DOUT=file.c -DSYM=name [-DNAME=display-name] -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
set(out "/* Generated from ${NAME} by cmake/embed.cmake; do not edit. */\n#include <stddef.h>\n")
if(DEFINED NAME)
  string(APPEND out "const char ${SYM}_name[] = \"${NAME}\";\n")
endif()
string(APPEND out "const unsigned char ${SYM}[] = {\n${body}0x00};\nconst size_t ${SYM}_len = ${len};\n")
file(WRITE "${OUT}.tmp" "${out}")
file(RENAME "${OUT}.tmp" "${OUT}")
