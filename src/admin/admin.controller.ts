import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RunsQuery, SyncRequestBody } from './admin.dto';
import { AdminService } from './admin.service';
import { MetricsService } from './metrics.service';
import { PeerJobsService } from './peer-jobs.service';

@Controller('admin')
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly peerJobs: PeerJobsService,
  ) {}

  @Post('sync')
  @HttpCode(200)
  sync(@Body() body: SyncRequestBody) {
    return this.admin.sync(body.peers);
  }

  @Get('peers')
  peers() {
    return this.peerJobs.list();
  }

  @Post('peers/:id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string) {
    return this.peerJobs.pause(id);
  }

  @Post('peers/:id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string) {
    return this.peerJobs.resume(id);
  }

  @Post('peers/:id/reset')
  @HttpCode(200)
  reset(@Param('id') id: string) {
    return this.peerJobs.reset(id);
  }

  @Get('peers/:id/runs')
  runs(@Param('id') id: string, @Query() query: RunsQuery) {
    return this.peerJobs.runs(id, query.limit);
  }
}

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  text() {
    return this.metrics.text();
  }
}
