// fastParseObject: the request bodies most calls send (objects, arrays, ASCII strings
// without escapes, non-negative integers, true/false/null) parsed without Poco's parser, into the
// same tree Poco's would build. Anything else is left to Poco.
#pragma once

#include <Poco/JSON/Object.h>

#include <string_view>

namespace keyport::api {

// The object Poco::JSON::Parser would return for `body`, or null when `body` is outside
// the subset above (an escape, a non-ASCII byte, a fraction, a negative number, deep nesting, any
// syntax error...): the caller then parses it with Poco, whose verdict and tree stand.
Poco::JSON::Object::Ptr fastParseObject(std::string_view body);

}  // namespace keyport::api
