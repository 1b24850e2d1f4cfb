// Args: the keyport CLI's option parser (--name value, --name=value, repeatable options,
// flags). Unknown options are usage errors.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace keyport::cli {

class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Args {
  public:
    // `valued` options take a value, `flags` do not; anything else is an error.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
         const std::set<std::string>& flags);

    bool has(const std::string& name) const { return values_.count(name) > 0; }
    std::string get(const std::string& name, const std::string& def = "") const;
    std::string required(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;
    unsigned long number(const std::string& name, unsigned long def, unsigned long min,
                         unsigned long max) const;

  private:
    std::multimap<std::string, std::string> values_;
};

}  // namespace keyport::cli
