// Strict UTF-8 (RFC 3629): every well-formed character passes, every ill-formed byte is found.
#include <doctest/doctest.h>

#include <string_view>

#include "takt/sim/utf8.hpp"

using takt::sim::first_invalid_utf8;
using takt::sim::utf8_length;

TEST_CASE("UTF-8: each well-formed length passes, from the smallest to the largest code point") {
  CHECK(utf8_length("A", 0) == 1);
  CHECK(utf8_length("\xC2\x80", 0) == 2);          // U+0080
  CHECK(utf8_length("\xDF\xBF", 0) == 2);          // U+07FF
  CHECK(utf8_length("\xE0\xA0\x80", 0) == 3);      // U+0800
  CHECK(utf8_length("\xED\x9F\xBF", 0) == 3);      // U+D7FF, below the surrogates
  CHECK(utf8_length("\xEE\x80\x80", 0) == 3);      // U+E000, above them
  CHECK(utf8_length("\xF0\x90\x80\x80", 0) == 4);  // U+10000
  CHECK(utf8_length("\xF4\x8F\xBF\xBF", 0) == 4);  // U+10FFFF
  CHECK(first_invalid_utf8("Liangjiang \xE9\x87\x8D\xE5\xBA\x86") == std::string_view::npos);
  CHECK(first_invalid_utf8("") == std::string_view::npos);
}

TEST_CASE("UTF-8: ill-formed bytes are found where they start") {
  CHECK(utf8_length("\x80", 0) == 0);              // a continuation byte alone
  CHECK(utf8_length("\xC1\xBF", 0) == 0);          // overlong, 2 bytes
  CHECK(utf8_length("\xE0\x9F\xBF", 0) == 0);      // overlong, 3 bytes
  CHECK(utf8_length("\xF0\x8F\xBF\xBF", 0) == 0);  // overlong, 4 bytes
  CHECK(utf8_length("\xED\xA0\x80", 0) == 0);      // U+D800, a surrogate
  CHECK(utf8_length("\xF4\x90\x80\x80", 0) == 0);  // above U+10FFFF
  CHECK(utf8_length("\xF5\x80\x80\x80", 0) == 0);  // no such lead byte
  CHECK(utf8_length("\xFF", 0) == 0);
  CHECK(utf8_length("\xE9\x87", 0) == 0);  // cut short by the end
  CHECK(utf8_length("\xE9\x87"
                    "A",
                    0) == 0);  // cut short by ASCII
  CHECK(first_invalid_utf8("ab\xC3\xA9"
                           "c\xFF"
                           "d") == 5);
}

// Text tables pad by columns: a plant named 两江 took two bytes' worth of room per character
// and pushed its row's figures out of line.
TEST_CASE("Display width: wide East Asian characters take two columns, combining marks none") {
  using takt::sim::display_width;
  CHECK(display_width("Liangjiang") == 10);
  CHECK(display_width("\xE4\xB8\xA4\xE6\xB1\x9F") == 4);             // 两江
  CHECK(display_width("Chongqing \xE9\x87\x8D\xE5\xBA\x86") == 14);  // 重庆
  CHECK(display_width("Chi\xC3\xA9") == 4);                          // é, one column
  CHECK(display_width("e\xCC\x81") == 1);                            // e and a combining acute
  CHECK(display_width("\xEF\xBC\xA1") == 2);                         // fullwidth A
  CHECK(display_width("\xE3\x82\xAB") == 2);                         // katakana KA
  CHECK(display_width("\xEA\xB0\x80") == 2);                         // hangul GA
  CHECK(display_width("\xFF"
                      "a") == 2);  // a stray byte counts one
  CHECK(display_width("") == 0);
}

// What takt echoes of its input (a value in an error, a path) cannot drive the terminal.
TEST_CASE("Control characters are escaped for the terminal, line feeds and tabs are kept") {
  using takt::sim::escape_controls;
  CHECK(escape_controls("1min\x1b[31mRED") == "1min\\x1b[31mRED");
  CHECK(escape_controls("a\x7f"
                        "b") == "a\\x7fb");
  CHECK(escape_controls("P\xC2\x9B"
                        "31m") == "P\\xc2\\x9b31m");  // U+009B, the one-byte CSI
  CHECK(escape_controls("two\nlines\tand a tab") == "two\nlines\tand a tab");
  CHECK(escape_controls("\xE4\xB8\xA4\xC3\xA9") == "\xE4\xB8\xA4\xC3\xA9");  // 两é stay
  CHECK(escape_controls(std::string_view("\0", 1)) == "\\x00");
}

TEST_CASE("Shortened text is cut at a character's start and says it was cut") {
  using takt::sim::shortened;
  CHECK(shortened("abc", 3) == "abc");
  CHECK(shortened("abcd", 3) == "abc...");
  // 两 is three bytes: a cut inside it goes back to its start.
  CHECK(shortened("a两江", 3) == "a...");
  CHECK(shortened("a两江", 4) == "a两...");
}
