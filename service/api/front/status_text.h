// The RFC 9110 reason phrase of each status code keyportd sends ("404 Not Found", never
// "404 OK").
#pragma once

#include <string_view>

namespace keyport::api::front {

std::string_view reasonPhrase(int status);

}  // namespace keyport::api::front
