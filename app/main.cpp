// cinevox: the viewer, and headless subcommands (info, convert, demo).
#include <cstdio>

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::puts("cinevox");
  return 0;
}
