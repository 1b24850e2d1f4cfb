#include "tools/args.h"

namespace keyport::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& flags) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + a + "'");
        std::string name = a.substr(2);
        std::string value;
        bool inlineValue = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inlineValue = true;
        }
        if (flags.count(name)) {
            if (inlineValue) throw UsageError("option --" + name + " takes no value");
            values_.emplace(name, "");
        } else if (valued.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= argv.size()) throw UsageError("option --" + name + " needs a value");
                value = argv[++i];
            }
            values_.emplace(name, value);
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::string Args::get(const std::string& name, const std::string& def) const {
    auto it = values_.find(name);
    return it == values_.end() ? def : it->second;
}

std::string Args::required(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) throw UsageError("missing required option --" + name);
    return it->second;
}

std::vector<std::string> Args::all(const std::string& name) const {
    std::vector<std::string> out;
    auto [b, e] = values_.equal_range(name);
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
}

unsigned long Args::number(const std::string& name, unsigned long def, unsigned long min,
                           unsigned long max) const {
    if (!has(name)) return def;
    const std::string v = get(name);
    std::size_t used = 0;
    unsigned long n = 0;
    try {
        n = std::stoul(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v.size() || v.empty() || n < min || n > max) {
        throw UsageError("option --" + name + " must be a number from " + std::to_string(min) +
                         " to " + std::to_string(max));
    }
    return n;
}

}  // namespace keyport::cli
