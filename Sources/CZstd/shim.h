#pragma once
// libzstd-dev provides zstd.h.
#include <zstd.h>
