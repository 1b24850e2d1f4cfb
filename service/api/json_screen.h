// screenJson(): one cheap pass over a request body before any JSON parser sees it, for what
// parsers get wrong silently or dangerously: nesting deep enough to exhaust a recursive
// parser's (or destructor's) stack, and numbers no int64 or double holds (Poco 1.11 reads
// 2^64 as 0 and -2^63-1 as -2^63, and fails the whole body on 1e400 without naming a field).
#pragma once

#include <cstddef>
#include <string_view>

namespace keyport::api {

// Poco 1.11's own limit (tests/parsers/json_test.cpp pins it), kept whatever parser follows;
// request bodies nest four levels at most.
inline constexpr std::size_t kMaxJsonDepth = 128;

// Throws Error(MalformedRequest) past kMaxJsonDepth levels of [ and {, and
// Error(InvalidParameter, field) for an integer outside [-2^63, 2^64-1] or a number whose
// exponent no double reaches, naming the member it is the value of (or inside). Integers in
// [2^63, 2^64-1] pass: every parser holds them (as unsigned), and JsonBody::optInteger
// refuses them naming the field. Everything else, valid or not, is left to the parser.
void screenJson(std::string_view body);

}  // namespace keyport::api
