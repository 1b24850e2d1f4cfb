// The database schema as an ordered list of migrations; version N is the Nth entry.
// Never edit a released step: append a new one.
#pragma once

#include <string>
#include <vector>

namespace keyport {

const std::vector<std::vector<std::string>>& migrations();

}  // namespace keyport
