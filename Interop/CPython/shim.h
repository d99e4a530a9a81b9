#pragma once
// Python.h's pyconfig.h defines _GNU_SOURCE/_XOPEN_SOURCE, which renames glibc's fd_set members
// (fds_bits vs __fds_bits) compared with the Glibc/CDispatch modules, and a module that imports both
// Foundation and CPython then fails to compile. Pull the conflicting header in first, with default
// feature macros.
#include <sys/select.h>
#define PY_SSIZE_T_CLEAN
// Absolute path, so the target needs neither pkg-config nor an -I flag (python3-dev provides it).
#include "/usr/include/python3.11/Python.h"
