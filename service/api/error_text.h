// ErrorText: a core or dialect Error told in one dialect's words. Core names the input an
// error is about (core::Input); the dialect says what its client called that field.
#pragma once

#include <string>
#include <string_view>

#include "service/core/base/errors.h"

namespace keyport::api {

// A dialect's name for each of core's inputs ("" where the dialect has no such field).
using FieldNames = std::string_view (*)(Input);

struct ErrorText {
    std::string field;    // the client's field name, or empty
    std::string message;  // safe to show; names `field` where there is one
};

// Core's errors read "<field> <detail>"; an error raised by dialect code keeps its own
// message (`separator` joins its field in front where the dialect wants it, e.g. ": ").
ErrorText describe(const Error& e, FieldNames names, std::string_view separator = {});

}  // namespace keyport::api
