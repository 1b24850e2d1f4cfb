# Writes the installed keyport.properties from the lab config (config/keyport.properties), so
# there is one commented source: state under /var/lib/keyport, the demo credential commented
# out. Fails when a line it rewrites is missing, so an edit of the lab config cannot quietly
# install a lab setting.   cmake -DIN=config/keyport.properties -DOUT=FILE -P this file
file(READ "${IN}" text)

string(FIND "${text}" "\nkeyport.state_dir = ./var\n" at)
if(at EQUAL -1)
    message(FATAL_ERROR "${IN}: no line 'keyport.state_dir = ./var' to rewrite")
endif()
string(REGEX MATCHALL "\ndemo\\.[a-z_]+ = " demo "${text}")
if(NOT demo)
    message(FATAL_ERROR "${IN}: no demo.* lines to comment out")
endif()

# The first paragraph describes the lab; the installed file says what it is instead.
string(FIND "${text}" "\n\n" end)
string(SUBSTRING "${text}" ${end} -1 text)
string(CONCAT header
    "# Keyport configuration, installed by `cmake --install` or the keyport package and generated\n"
    "# from the lab config (config/keyport.properties in the source) at build time. Every region\n"
    "# is a SoftHSM token under /var/lib/keyport (StateDirectory= of keyportd.service; the\n"
    "# service runs `keyport token init` before keyportd, which provisions missing tokens only).\n"
    "# Any key can be overridden on the command line with --define key=value; an unknown key is\n"
    "# an error, so a typo never silently falls back to a default.")
string(PREPEND text "${header}")

# Every ./var path (the state dir and the commented TLS and database examples).
string(REPLACE "\nkeyport.state_dir = ./var\n" "\nkeyport.state_dir = /var/lib/keyport\n" text
       "${text}")
string(REPLACE "./var/" "/var/lib/keyport/" text "${text}")
string(REPLACE "\n# Relative paths are taken from the working directory." "" text "${text}")

# The demo credential: documented, never active on an installed service.
string(REGEX REPLACE "\n(demo\\.[a-z_]+ = )" "\n# \\1" text "${text}")
string(REPLACE "# --- demo credential ---"
               "# Commented out in the installed config: a credential whose secrets are published in\n# the README must not exist on a real service. Uncomment only on a lab machine.\n# --- demo credential ---"
               text "${text}")

file(WRITE "${OUT}.tmp" "${text}")
file(RENAME "${OUT}.tmp" "${OUT}")
