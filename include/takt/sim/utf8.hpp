// Strict UTF-8, for text that reaches outputs: JSON is UTF-8 by definition, and a name that is
// not would make summary.json unreadable.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace takt::sim {

/// The length of the UTF-8 character at text[at] (1 to 4 bytes), or 0 when the bytes there are
/// not one: a stray continuation byte, a cut-short sequence, an overlong form, a UTF-16
/// surrogate, or a code point above U+10FFFF.
std::size_t utf8_length(std::string_view text, std::size_t at);

/// The offset of the first byte that is not part of a UTF-8 character, or npos.
std::size_t first_invalid_utf8(std::string_view text);

/// `text` with each control character but line feed and tab (C0, DEL, and C1 as UTF-8 writes
/// it) as \xNN: what is echoed to a terminal cannot drive it (an ESC sequence would recolour
/// or erase what is printed).
std::string escape_controls(std::string_view text);

/// The tab, line break (U+000A, U+2028, U+2029) or text-direction mark (U+061C, U+200E,
/// U+200F, U+202A to U+202E, U+2066 to U+2069) that starts at text[at]: its code point, or 0.
/// Such a character splits or reorders a line of a table or a message.
char32_t layout_mark_at(std::string_view text, std::size_t at);

/// `text` cut to at most `most` bytes at a character's start, with "..." after it when cut:
/// an echo of what a file wrote stays short (a value of 500 kB made a message as long).
std::string shortened(std::string_view text, std::size_t most);

/// The columns `text` takes in a terminal's fixed-width table: one per character, two for the
/// East Asian wide ones (CJK ideographs, kana, hangul, fullwidth forms), none for combining
/// marks; a byte that starts no character counts one.
std::size_t display_width(std::string_view text);

}  // namespace takt::sim
