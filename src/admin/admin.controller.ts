import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { SyncMetrics } from '../sync/sync.metrics';
import { SyncRequestBody } from './admin.dto';
import { AdminService } from './admin.service';

@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('sync')
  @HttpCode(200)
  sync(@Body() body: SyncRequestBody) {
    return this.admin.sync(body.peers);
  }

  @Get('peers')
  peers() {
    return this.admin.peers();
  }
}

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: SyncMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  text() {
    return this.metrics.text();
  }
}
