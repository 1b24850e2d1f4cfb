// printable(): client-supplied text (a path, a method, a certificate subject) made safe
// for one log line — control bytes and non-ASCII escaped as \xNN, and capped in length —
// so a request cannot forge log lines or drive the operator's terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace keyport::api {

std::string printable(std::string_view text, std::size_t cap = 256);

}  // namespace keyport::api
