#include <cstdio>

#include "commands.h"

namespace cvx::app {
int runConvert(const std::vector<std::string>&) { std::fputs("convert: not built yet\n", stderr); return kExitError; }
int runDemo(const std::vector<std::string>&) { std::fputs("demo: not built yet\n", stderr); return kExitError; }
int runView(int, char**, const std::vector<std::string>&) { std::fputs("view: not built yet\n", stderr); return kExitError; }
}  // namespace cvx::app
