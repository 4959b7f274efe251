/* The screens and their URLs (the server answers the page shell on the same paths: api/pages.py). */
import { LogInScreen, SignUpScreen } from './screens/account.js';
import { CitizenScreen } from './screens/citizen.js';
import { ExportScreen } from './screens/export.js';
import { FeedScreen } from './screens/feed.js';
import { ImportScreen } from './screens/import.js';
import { ImportsScreen } from './screens/imports.js';
import { NotificationsScreen } from './screens/notifications.js';
import { PostScreen } from './screens/post.js';
import { SearchScreen } from './screens/search.js';
import { StatsScreen } from './screens/stats.js';
import {
  ConfirmEmailScreen, ForgotPasswordScreen, ResetPasswordScreen, SettingsScreen,
} from './screens/settings.js';
import { TimelineScreen } from './screens/timeline.js';
import { UserScreen } from './screens/user.js';

export const ROUTES = [
  ['/', FeedScreen],
  ['/signup', SignUpScreen],
  ['/login', LogInScreen],
  ['/timeline', TimelineScreen],
  ['/search', SearchScreen],
  ['/stats', StatsScreen],
  ['/settings', SettingsScreen],
  ['/forgot-password', ForgotPasswordScreen],
  ['/reset-password', ResetPasswordScreen],
  ['/confirm-email', ConfirmEmailScreen],
  ['/notifications', NotificationsScreen],
  ['/export', ExportScreen],
  ['/users/:username', UserScreen],
  ['/users/:username/:tab(followers|following)', UserScreen],
  ['/users/:username/posts/:postId(\\d+)', PostScreen],
  ['/analyzer', ImportsScreen],
  ['/analyzer/imports/:importId', ImportScreen],
  ['/analyzer/imports/:importId/citizens/:citizenId', CitizenScreen],
];
