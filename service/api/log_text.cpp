#include "service/api/log_text.h"

namespace keyport::api {

std::string printable(std::string_view text, std::size_t cap) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() < cap ? text.size() : cap);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (out.size() >= cap) {
            out += "...(" + std::to_string(text.size()) + " bytes)";
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

}  // namespace keyport::api
