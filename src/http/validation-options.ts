import type { ValidationPipeOptions } from '@nestjs/common';

/** The one set of options every DTO is validated with (global pipe and data bodies alike). */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: true,
};
