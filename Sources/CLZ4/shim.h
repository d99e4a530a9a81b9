#pragma once
// Kafka's lz4 codec is the LZ4 frame format; liblz4-dev provides lz4frame.h.
#include <lz4frame.h>
