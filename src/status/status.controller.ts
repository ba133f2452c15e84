import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../auth/auth.decorators';
import { STATUS_CSP, STATUS_PAGE } from './status-assets';

/** Headers every file of the page carries. */
function StatusFile(type: string): MethodDecorator {
  return (target, key, descriptor) => {
    Header('Content-Type', `${type}; charset=utf-8`)(target, key, descriptor);
    Header('Content-Security-Policy', STATUS_CSP)(target, key, descriptor);
    Header('X-Content-Type-Options', 'nosniff')(target, key, descriptor);
    Header('Cache-Control', 'no-cache')(target, key, descriptor);
  };
}

/** The page and its files need no token: the data they show comes from the admin routes, with it. */
@Controller('status')
@Public()
export class StatusController {
  @Get()
  @StatusFile('text/html')
  page() {
    return STATUS_PAGE.html;
  }

  @Get('app.js')
  @StatusFile('text/javascript')
  script() {
    return STATUS_PAGE.script;
  }

  @Get('style.css')
  @StatusFile('text/css')
  style() {
    return STATUS_PAGE.style;
  }
}
