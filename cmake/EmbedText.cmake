# Turns a text file into a C++ raw-string include, so a scenario can ship inside the program.
file(READ ${INPUT} content)
set(delim "TAKT_EMBED")
file(WRITE ${OUTPUT} "R\"${delim}(${content})${delim}\"\n")
