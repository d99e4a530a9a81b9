#pragma once
// libsnappy is C++; libsnappy-dev ships this C interface to it.
#include <snappy-c.h>
