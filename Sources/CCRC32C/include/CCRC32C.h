#ifndef CCRC32C_H
#define CCRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of `length` bytes, continuing from `crc`
/// (0 to start; pass a previous result to checksum data that arrives in pieces). Uses the SSE4.2
/// crc32 instruction when the CPU has it, the table otherwise.
uint32_t ccrc32c_extend(uint32_t crc, const void *data, size_t length);

/// The same checksum, always computed with the byte-wise table (for tests of the dispatch).
uint32_t ccrc32c_extend_table(uint32_t crc, const void *data, size_t length);

/// Whether `ccrc32c_extend` runs on the CPU's crc32 instruction.
bool ccrc32c_hardware_available(void);

#endif
