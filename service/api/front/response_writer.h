// writeResponse(): one Response serialised as HTTP/1.1 into a reused buffer — status line
// with its reason phrase, Date, Content-Type, Content-Length, Connection, the handler's
// headers, and the body (none for HEAD) — so it leaves in one send.
#pragma once

#include <string>

#include "service/api/http.h"

namespace keyport::api::front {

enum class ConnectionHeader {
    None,       // HTTP/1.1 persistence is the default
    KeepAlive,  // an HTTP/1.0 client asked for it
    Close,      // the server closes after this response
};

// Appends to `out` (which the caller clears and wipes: a body may carry plaintext). One
// reservation up front, so no reallocation leaves a partial copy behind.
void writeResponse(std::string& out, const Response& res, bool headRequest,
                   ConnectionHeader connection);

// "HTTP/1.1 100 Continue\r\n\r\n"
inline constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace keyport::api::front
